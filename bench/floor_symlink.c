/* The floor for `mklnk apply` benchmarks: read "target<TAB>link" lines from a file (or stdin)
 * and call symlink(2) for each, nothing else. Same pairs as the plan, so the difference with
 * mklnk is everything mklnk adds: parsing, planning, the journal, fsyncs, the state.
 *
 *   cc -O2 -o floor_symlink floor_symlink.c && ./floor_symlink pairs.tsv
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
    if (!in) {
        perror(argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long made = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        if (line[len - 1] == '\n') line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = '\0';
        if (symlink(line, tab + 1) != 0) {
            fprintf(stderr, "symlink %s -> %s: %s\n", tab + 1, line, strerror(errno));
            return 1;
        }
        made++;
    }
    free(line);
    fprintf(stderr, "%ld symlinks\n", made);
    return 0;
}
