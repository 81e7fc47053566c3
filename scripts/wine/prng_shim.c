/* bcryptprimitives.dll for Wine 8: Go 1.22 and later fill their random
 * numbers from ProcessPrng in bcryptprimitives.dll, which Windows 10/11 have
 * and Wine 8 lacks. This shim exports it on top of advapi32's RtlGenRandom
 * (SystemFunction036), which Wine has. It is for running bidui.exe under
 * Wine in CI only; it is never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG n = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
