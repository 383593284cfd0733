/* 16550 UART, polled output, optional polled input. */
#include <pavise/serial.h>
#include <asm/x86.h>

#define UART_THR 0
#define UART_RBR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0
#define UART_DLM 1
#define LSR_DR   0x01
#define LSR_THRE 0x20

static unsigned int base;

void serial_init(const struct serial_cfg *cfg)
{
    unsigned int baud = cfg->baud ? cfg->baud : 115200;
    unsigned int div = 115200 / baud;

    base = cfg->io_base;
    if (!base)
        return;
    if (!div)
        div = 1;
    outb((uint16_t)(base + UART_IER), 0);
    outb((uint16_t)(base + UART_LCR), 0x80);           /* DLAB */
    outb((uint16_t)(base + UART_DLL), (uint8_t)div);
    outb((uint16_t)(base + UART_DLM), (uint8_t)(div >> 8));
    outb((uint16_t)(base + UART_LCR), 0x03);           /* 8n1 */
    outb((uint16_t)(base + UART_FCR), 0x07);           /* FIFOs on, cleared */
    outb((uint16_t)(base + UART_MCR), 0x03);           /* DTR, RTS */
}

void serial_putc(char c)
{
    if (!base)
        return;
    for (unsigned int spins = 0; spins < 100000; spins++)
        if (inb((uint16_t)(base + UART_LSR)) & LSR_THRE)
            break;
    outb((uint16_t)(base + UART_THR), (uint8_t)c);
}

int serial_getc(void)
{
    if (!base || !(inb((uint16_t)(base + UART_LSR)) & LSR_DR))
        return -1;
    return inb((uint16_t)(base + UART_RBR));
}
