package staticsite

// Manifest holds the digest (SHA-256, or SM3: see Hash) of every file of
// an export, by path relative to the folder (with forward slashes).
type Manifest map[string][32]byte

// ReadManifest reads a manifest written by Write or WriteHash; a missing
// file is an error that os.IsNotExist recognises.
func ReadManifest(path string) (Manifest, error) {
	m, _, err := ReadManifestHash(path)
	return m, err
}

// Write writes a SHA-256 manifest atomically, sorted by path, one
// "SHA256  PATH" line a file: the format of sha256sum, so
// `cd DIR && sha256sum -c DIR.sha256` checks it too.
func (m Manifest) Write(path string) error { return m.WriteHash(path, SHA256) }
