package check

import "time"

// LinkError is linkError for the tests: why a request failed, and whether
// a GET after the HEAD would be pointless.
func LinkError(err error, timeout time.Duration) (string, bool) {
	why, final, _ := linkError(err, timeout)
	return why, final
}
