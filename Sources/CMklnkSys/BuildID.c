#define _GNU_SOURCE
#include "CMklnkSys.h"
#if defined(__linux__)
#include <link.h>
#include <string.h>

struct build_id_out { unsigned char *out; size_t capacity; size_t length; };

/* The first object dl_iterate_phdr reports is the executable: its NT_GNU_BUILD_ID note. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct build_id_out *result = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type != PT_NOTE) continue;
        const unsigned char *start = (const unsigned char *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
        size_t end = info->dlpi_phdr[i].p_memsz, at = 0;
        while (at + 12 <= end) {
            ElfW(Nhdr) note;
            memcpy(&note, start + at, sizeof note);
            size_t desc = at + 12 + ((note.n_namesz + 3) & ~3u);
            if (desc + note.n_descsz > end) break;
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && memcmp(start + at + 12, "GNU", 4) == 0
                && note.n_descsz > 0 && note.n_descsz <= result->capacity) {
                memcpy(result->out, start + desc, note.n_descsz);
                result->length = note.n_descsz;
                return 1;
            }
            at = desc + ((note.n_descsz + 3) & ~3u);
        }
    }
    return 1;
}

unsigned long mklnk_build_id(unsigned char *out, unsigned long capacity) {
    struct build_id_out result = { out, capacity, 0 };
    dl_iterate_phdr(find_build_id, &result);
    return result.length;
}
#else
unsigned long mklnk_build_id(unsigned char *out, unsigned long capacity) { (void)out; (void)capacity; return 0; }
#endif
