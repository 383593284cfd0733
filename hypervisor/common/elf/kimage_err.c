/* Error reporting for the kernel-image code (see kimage.h). */
#include "kimage.h"

int kimage_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;

        va_start(ap, fmt);
        pv_vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -code;
}
