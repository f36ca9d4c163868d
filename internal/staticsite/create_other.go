//go:build !linux

package staticsite

import "os"

// createFile writes a new file of a fresh export.
func createFile(name string, body []byte) error { return os.WriteFile(name, body, 0o644) }
