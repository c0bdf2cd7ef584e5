/*
 * The floor for `mklnk plan` on a tree where every link is in place: for each path read from a
 * file (one per line), one lstat(2) and one readlink(2), nothing else. mklnk cannot check a link
 * with fewer syscalls, so its time over this program's is its own overhead.
 *
 *   cc -O2 -o floor_lstat_readlink floor_lstat_readlink.c
 *   ./floor_lstat_readlink PATHS_FILE      # prints "N paths, S symlinks, E errors"
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATHS_FILE\n", argv[0]);
        return 64;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    char target[4096];
    long paths = 0, symlinks = 0, errors = 0;
    while ((length = getline(&line, &capacity, f)) > 0) {
        if (line[length - 1] == '\n') line[--length] = '\0';
        if (length == 0) continue;
        paths++;
        struct stat st;
        if (lstat(line, &st) != 0) {
            errors++;
            continue;
        }
        ssize_t n = readlink(line, target, sizeof target);
        if (n >= 0) {
            symlinks++;
        } else if (errno != EINVAL) {
            errors++;
        }
    }
    free(line);
    fclose(f);
    printf("%ld paths, %ld symlinks, %ld errors\n", paths, symlinks, errors);
    return errors ? 1 : 0;
}
