/* linestat - shape statistics of a pipe-separated export before it is loaded (Northwind telemetry).
 * Usage: linestat FILE
 * Prints the line count, empty lines, the longest line, the field-count histogram (fields = '|' + 1)
 * and a 32-bit checksum of the bytes (h = h * 31 + byte).
 * OP-07 (batch the I/O): read 64 KiB blocks instead of one read(2) per byte. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int fd = argc > 1 ? open(argv[1], O_RDONLY) : 0;
    static unsigned char buf[1 << 16];
    long lines = 0, empty = 0, longest = 0, len = 0, fields = 1;
    long hist[64] = {0};
    unsigned int h = 0;
    ssize_t got;
    if (fd < 0) { perror("open"); return 1; }
    while ((got = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t k = 0; k < got; k++) {
            unsigned char c = buf[k];
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
    }
    printf("lines %ld\nempty %ld\nlongest %ld\n", lines, empty, longest);
    for (int i = 0; i < 64; i++)
        if (hist[i]) printf("fields %2d: %ld\n", i, hist[i]);
    printf("checksum %08x\n", h);
    return 0;
}
