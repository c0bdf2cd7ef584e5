/*
 * The C floors of `make bench`: the fewest calls a serial loop needs for each workload, on the
 * same "target<TAB>link" pairs (absolute paths) as the mklnk plan. mklnk's time over this
 * program's is what mklnk adds, or saves by doing less or using both cores.
 *
 *   floor symlink PAIRS   symlink(2) per pair; on ENOENT the missing parents are made, then again
 *   floor link PAIRS      the same with link(2) (hard links)
 *   floor check PAIRS     lstat(2) + readlink(2) per link, fixing only the wrong ones (a missing
 *                         link is made; a link to another target is replaced through a rename)
 *   floor verify PAIRS    like check, but only counts the wrong ones (exit 1 if any)
 *   floor verify-hard PAIRS  each link is the same inode as its target (exit 1 if not)
 *
 *   cc -O2 -o floor floor.c
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Makes the directory `path` and any missing parent (mkdir on ENOENT, going up). */
static int make_parents(char *path) {
    if (mkdir(path, 0777) == 0 || errno == EEXIST) return 0;
    if (errno != ENOENT) return -1;
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) return -1;
    *slash = '\0';
    int failed = make_parents(path);
    *slash = '/';
    if (failed) return -1;
    return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

/* symlink or link, making the parent directory when it is missing. */
static int make(const char *target, char *path, int hard) {
    int r = hard ? link(target, path) : symlink(target, path);
    if (r == 0 || errno != ENOENT) return r;
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) return -1;
    *slash = '\0';
    int failed = make_parents(path);
    *slash = '/';
    if (failed) return -1;
    return hard ? link(target, path) : symlink(target, path);
}

/* Is `link` a symlink to exactly `target`? */
static int in_place(const char *target, const char *link) {
    struct stat st;
    if (lstat(link, &st) != 0 || !S_ISLNK(st.st_mode)) return 0;
    char buffer[4096];
    ssize_t n = readlink(link, buffer, sizeof buffer);
    return n >= 0 && (size_t)n == strlen(target) && memcmp(buffer, target, n) == 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s symlink|link|check|verify|verify-hard PAIRS\n", argv[0]);
        return 64;
    }
    const char *mode = argv[1];
    FILE *in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 2;
    }
    int hard = strcmp(mode, "link") == 0;
    int create = hard || strcmp(mode, "symlink") == 0;
    int check = strcmp(mode, "check") == 0, verify = strcmp(mode, "verify") == 0;
    int verify_hard = strcmp(mode, "verify-hard") == 0;
    char *line = NULL, scratch[4200];
    size_t capacity = 0;
    ssize_t length;
    long pairs = 0, wrong = 0;
    while ((length = getline(&line, &capacity, in)) > 0) {
        if (line[length - 1] == '\n') line[--length] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = '\0';
        char *target = line, *link = tab + 1;
        pairs++;
        if (create) {
            if (make(target, link, hard) != 0) {
                fprintf(stderr, "%s -> %s: %s\n", link, target, strerror(errno));
                return 1;
            }
        } else if (verify_hard) {
            struct stat a, b;
            if (lstat(link, &a) != 0 || stat(target, &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) wrong++;
        } else if (!in_place(target, link)) {
            wrong++;
            if (!check) continue;
            struct stat st;
            if (lstat(link, &st) != 0) {
                if (make(target, link, 0) != 0) return 1;
            } else {
                snprintf(scratch, sizeof scratch, "%s.floor-new", link);
                if (symlink(target, scratch) != 0 || rename(scratch, link) != 0) return 1;
            }
        }
    }
    free(line);
    fclose(in);
    if (verify || verify_hard) {
        if (wrong) fprintf(stderr, "%ld of %ld links wrong\n", wrong, pairs);
        return wrong ? 1 : 0;
    }
    return 0;
}
