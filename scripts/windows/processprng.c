/* Test scaffolding for Wine only, never shipped: Wine 8 (Debian 12) has no bcryptprimitives.dll,
 * whose ProcessPrng Rust's standard library (>= 1.78) calls for every random number
 * (rust-lang/rust#121337), so every Rust exe exits with code 53 under it. This DLL gives Wine
 * that one function, over RtlGenRandom (advapi32!SystemFunction036), the OS generator the
 * Windows ProcessPrng also draws from. Real Windows 10+ has its own bcryptprimitives.dll. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a ULONG length: fill larger requests in pieces. */
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
