package api_test

import "sync"

// recorded keeps every answer the tests received, for the check of the
// answers against the OpenAPI document.
var recorded struct {
	sync.Mutex
	answers []recordedAnswer
}

type recordedAnswer struct {
	method, path string
	answer
}

func recordAnswer(method, path string, a answer) {
	recorded.Lock()
	defer recorded.Unlock()
	recorded.answers = append(recorded.answers, recordedAnswer{method, path, a})
}
