/*
 * Small language helpers shared by every layer: fixed-width type names in the
 * kernel's spelling, container_of, branch hints and unaligned big-endian loads
 * and stores for header views. Nothing here holds state.
 */
#ifndef TN_NET_COMPILER_H
#define TN_NET_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <assert.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define TN_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TN_MAX(a, b) ((a) > (b) ? (a) : (b))
#define TN_ALIGN(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define TN_EXPORT __attribute__((visibility("default")))
#define __packed __attribute__((packed))
#define __maybe_unused __attribute__((unused))

/* Invariant checks that stay on in release builds: a broken invariant in a
 * network stack is a security bug, not a performance question. */
#define TN_BUG_ON(cond) do { if (unlikely(cond)) tn_bug(__FILE__, __LINE__, #cond); } while (0)
void tn_bug(const char *file, int line, const char *what) __attribute__((noreturn));

/* Big-endian (network order) loads and stores at any alignment. Header views
 * use these; nothing converts a header's byte order in place. */
static inline u16 get_be16(const void *p)
{
	const u8 *b = p;
	return (u16)(b[0] << 8 | b[1]);
}
static inline u32 get_be32(const void *p)
{
	const u8 *b = p;
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}
static inline void put_be16(void *p, u16 v)
{
	u8 *b = p;
	b[0] = (u8)(v >> 8);
	b[1] = (u8)v;
}
static inline void put_be32(void *p, u32 v)
{
	u8 *b = p;
	b[0] = (u8)(v >> 24);
	b[1] = (u8)(v >> 16);
	b[2] = (u8)(v >> 8);
	b[3] = (u8)v;
}

#endif
