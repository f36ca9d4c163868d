//go:build !linux

package staticsite

import "errors"

// canExchange says whether two folders can be exchanged in one rename:
// not without renameat2.
const canExchange = false

func exchange(a, b string) error { return errors.New("exchanging folders needs Linux") }
