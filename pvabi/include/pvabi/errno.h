/*
 * Xen 4.17 public ABI: error numbers. Hypercalls return -XEN_E<name>.
 *
 * Included plainly, this declares enum xen_errno { XEN_EPERM = 1, ... }.
 * To build other tables, define XEN_ERRNO(name, value) before including
 * it: the list is expanded through that macro (and XEN_ERRNO is undefined
 * afterwards), e.g. for a number-to-name table.
 *
 * The values are the Linux/x86 errno numbers. Pavise's own definitions;
 * names and values follow Xen's public/errno.h. Checked against
 * /usr/include/xen at build time.
 */
#ifndef XEN_ERRNO

#ifndef PVABI_ERRNO_H
#define PVABI_ERRNO_H

#define PVABI_ERRNO_DEFAULT_INCLUDE
#ifndef __ASSEMBLER__
#define XEN_ERRNO(name, value) XEN_##name = value,
enum xen_errno {
#endif

#endif /* PVABI_ERRNO_H */
#endif /* !XEN_ERRNO */

#ifdef XEN_ERRNO

XEN_ERRNO(EPERM,         1)     /* operation not permitted              */
XEN_ERRNO(ENOENT,        2)     /* no such entry                        */
XEN_ERRNO(ESRCH,         3)     /* no such domain                       */
XEN_ERRNO(EIO,           5)     /* I/O error                            */
XEN_ERRNO(ENXIO,         6)     /* no such device or address            */
XEN_ERRNO(E2BIG,         7)     /* argument list too long               */
XEN_ERRNO(ENOEXEC,       8)     /* exec format error                    */
XEN_ERRNO(EBADF,         9)     /* bad file number                      */
XEN_ERRNO(ECHILD,       10)     /* no child processes                   */
XEN_ERRNO(EAGAIN,       11)     /* try again                            */
XEN_ERRNO(EWOULDBLOCK,  11)     /* = EAGAIN                             */
XEN_ERRNO(ENOMEM,       12)     /* out of memory                        */
XEN_ERRNO(EACCES,       13)     /* permission denied                    */
XEN_ERRNO(EFAULT,       14)     /* bad address                          */
XEN_ERRNO(EBUSY,        16)     /* device or resource busy              */
XEN_ERRNO(EEXIST,       17)     /* already exists                       */
XEN_ERRNO(EXDEV,        18)     /* cross-device link                    */
XEN_ERRNO(ENODEV,       19)     /* no such device                       */
XEN_ERRNO(ENOTDIR,      20)     /* not a directory                      */
XEN_ERRNO(EISDIR,       21)     /* is a directory                       */
XEN_ERRNO(EINVAL,       22)     /* invalid argument                     */
XEN_ERRNO(ENFILE,       23)     /* file table overflow                  */
XEN_ERRNO(EMFILE,       24)     /* too many open files                  */
XEN_ERRNO(ENOSPC,       28)     /* no space left                        */
XEN_ERRNO(EROFS,        30)     /* read-only                            */
XEN_ERRNO(EMLINK,       31)     /* too many links                       */
XEN_ERRNO(EDOM,         33)     /* argument out of domain               */
XEN_ERRNO(ERANGE,       34)     /* result out of range                  */
XEN_ERRNO(EDEADLK,      35)     /* deadlock would occur                 */
XEN_ERRNO(EDEADLOCK,    35)     /* = EDEADLK                            */
XEN_ERRNO(ENAMETOOLONG, 36)     /* name too long                        */
XEN_ERRNO(ENOLCK,       37)     /* no locks available                   */
XEN_ERRNO(ENOSYS,       38)     /* function not implemented             */
XEN_ERRNO(ENOTEMPTY,    39)     /* not empty                            */
XEN_ERRNO(ENODATA,      61)     /* no data available                    */
XEN_ERRNO(ETIME,        62)     /* timer expired                        */
XEN_ERRNO(EBADMSG,      74)     /* not a data message                   */
XEN_ERRNO(EOVERFLOW,    75)     /* value too large                      */
XEN_ERRNO(EILSEQ,       84)     /* illegal byte sequence                */
XEN_ERRNO(ENOTSOCK,     88)     /* not a socket                         */
XEN_ERRNO(EMSGSIZE,     90)     /* message too large                    */
XEN_ERRNO(EOPNOTSUPP,   95)     /* operation not supported              */
XEN_ERRNO(EADDRINUSE,   98)     /* address in use                       */
XEN_ERRNO(EADDRNOTAVAIL, 99)    /* address not available                */
XEN_ERRNO(ENOBUFS,     105)     /* no buffer space                      */
XEN_ERRNO(EISCONN,     106)     /* already connected                    */
XEN_ERRNO(ENOTCONN,    107)     /* not connected                        */
XEN_ERRNO(ETIMEDOUT,   110)     /* timed out                            */
XEN_ERRNO(ECONNREFUSED, 111)    /* connection refused                   */

#undef XEN_ERRNO
#endif /* XEN_ERRNO */

/* After the default include, close the enum. */
#ifdef PVABI_ERRNO_DEFAULT_INCLUDE
#undef PVABI_ERRNO_DEFAULT_INCLUDE
#ifndef __ASSEMBLER__
};
#endif
#endif
