/* dupcheck - report documents whose fingerprint was already seen (Northwind records office).
 * Usage: dupcheck FILE    lines "ID<TAB>FINGERPRINT"; prints "ID dup-of FIRST-ID" per repeat,
 * then "records N duplicates D".
 * OP-01 (index instead of scan): open-addressing hash table of first occurrences. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXREC 200000
#define HSIZE (1 << 19)

static char ids[MAXREC][16];
static char fps[MAXREC][64];
static int table[HSIZE];

static unsigned long hash(const char *s) {
    unsigned long h = 1469598103934665603UL;
    while (*s) { h ^= (unsigned char)*s++; h *= 1099511628211UL; }
    return h;
}

int main(int argc, char **argv) {
    FILE *f = fopen(argc > 1 ? argv[1] : "/dev/stdin", "r");
    char line[256];
    int n = 0, dups = 0;
    if (!f) { perror("open"); return 1; }
    memset(table, -1, sizeof table);
    while (n < MAXREC && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        tab[1 + strcspn(tab + 1, "\r\n")] = 0;
        strncpy(ids[n], line, 15);
        strncpy(fps[n], tab + 1, 63);
        unsigned long h = hash(fps[n]) & (HSIZE - 1);
        while (table[h] >= 0 && strcmp(fps[table[h]], fps[n]) != 0) h = (h + 1) & (HSIZE - 1);
        if (table[h] >= 0) {
            printf("%s dup-of %s\n", ids[n], ids[table[h]]);
            dups++;
        } else {
            table[h] = n;
        }
        n++;
    }
    printf("records %d duplicates %d\n", n, dups);
    return 0;
}
