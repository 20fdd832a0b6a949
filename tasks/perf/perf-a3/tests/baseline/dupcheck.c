/* dupcheck - report documents whose fingerprint was already seen (Northwind records office).
 * Usage: dupcheck FILE    lines "ID<TAB>FINGERPRINT"; prints "ID dup-of FIRST-ID" per repeat,
 * then "records N duplicates D". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXREC 200000

static char ids[MAXREC][16];
static char fps[MAXREC][64];

int main(int argc, char **argv) {
    FILE *f = fopen(argc > 1 ? argv[1] : "/dev/stdin", "r");
    char line[256];
    int n = 0, dups = 0;
    if (!f) { perror("open"); return 1; }
    while (n < MAXREC && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        tab[1 + strcspn(tab + 1, "\r\n")] = 0;
        strncpy(ids[n], line, 15);
        strncpy(fps[n], tab + 1, 63);
        for (int j = 0; j < n; j++) {
            if (strcmp(fps[j], fps[n]) == 0) {
                printf("%s dup-of %s\n", ids[n], ids[j]);
                dups++;
                break;
            }
        }
        n++;
    }
    printf("records %d duplicates %d\n", n, dups);
    return 0;
}
