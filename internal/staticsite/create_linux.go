package staticsite

import (
	"os"

	"golang.org/x/sys/unix"
)

// createFile writes a new file of a fresh export with three system calls.
// os.WriteFile also makes the file non-blocking, offers it to the poller
// and sets a finalizer: a fifth of the time of writing 244,000 small files
// (bench/README.md).
func createFile(name string, body []byte) error {
	fd, err := unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	for err == unix.EINTR {
		fd, err = unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	}
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(body) > 0 && err == nil {
		var n int
		n, err = unix.Write(fd, body)
		if err == unix.EINTR {
			err = nil
		}
		body = body[max(n, 0):]
	}
	if cerr := unix.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return &os.PathError{Op: "write", Path: name, Err: err}
	}
	return nil
}
