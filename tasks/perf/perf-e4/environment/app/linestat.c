/* linestat - shape statistics of a pipe-separated export before it is loaded (Northwind telemetry).
 * Usage: linestat FILE
 * Prints the line count, empty lines, the longest line, the field-count histogram (fields = '|' + 1)
 * and a 32-bit checksum of the bytes (h = h * 31 + byte). */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;
    unsigned char c;
    long lines = 0, empty = 0, longest = 0, len = 0, fields = 1;
    long hist[64] = {0};
    unsigned int h = 0;
    if (fd < 0) { perror("open"); return 1; }
    while (read(fd, &c, 1) == 1) {
        h = h * 31u + c;
        if (c == '\n') {
            lines++;
            if (len == 0) empty++;
            if (len > longest) longest = len;
            hist[fields < 63 ? fields : 63]++;
            len = 0;
            fields = 1;
        } else {
            len++;
            if (c == '|') fields++;
        }
    }
    printf("lines %ld\nempty %ld\nlongest %ld\n", lines, empty, longest);
    for (int i = 0; i < 64; i++)
        if (hist[i]) printf("fields %2d: %ld\n", i, hist[i]);
    printf("checksum %08x\n", h);
    return 0;
}
