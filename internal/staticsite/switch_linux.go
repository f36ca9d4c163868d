package staticsite

import "golang.org/x/sys/unix"

// canExchange says whether two folders can be exchanged in one rename.
const canExchange = true

// exchange swaps two paths of one file system atomically.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
