// Package videotest makes MP4 files for tests: the box structure a real
// one has (ftyp, moov with a movie header, mdat), built in memory, so
// tests need no encoder and no binary fixture.
package videotest

import (
	"encoding/binary"
	"io"
)

func box(kind string, payload ...[]byte) []byte {
	n := 8
	for _, p := range payload {
		n += len(p)
	}
	out := make([]byte, 8, n)
	binary.BigEndian.PutUint32(out, uint32(n))
	copy(out[4:], kind)
	for _, p := range payload {
		out = append(out, p...)
	}
	return out
}

// MP4 is an MP4 file of about n bytes of media data: ftyp (isom, with
// iso2, avc1 and mp41), a moov holding a version-0 mvhd of one second,
// and mdat.
func MP4(n int) []byte {
	ftyp := box("ftyp", []byte("isom"), []byte{0, 0, 2, 0}, []byte("isomiso2avc1mp41"))
	mvhd := make([]byte, 100)
	binary.BigEndian.PutUint32(mvhd[12:], 1000)    // timescale
	binary.BigEndian.PutUint32(mvhd[16:], 1000)    // duration: one second
	binary.BigEndian.PutUint32(mvhd[20:], 0x10000) // rate 1.0
	mvhd[24] = 1                                   // volume 1.0
	binary.BigEndian.PutUint32(mvhd[96:], 2)       // next track id
	moov := box("moov", box("mvhd", mvhd))
	data := make([]byte, n)
	for i := range data {
		data[i] = byte(i * 7)
	}
	return append(append(ftyp, moov...), box("mdat", data)...)
}

// Large is an MP4 of n bytes of media data read from nothing held in
// memory: its boxes' headers, then the media data made as it is read.
func Large(n int64) *io.SectionReader {
	head := MP4(0)
	binary.BigEndian.PutUint32(head[len(head)-8:], uint32(n+8)) // mdat's size
	return io.NewSectionReader(large{head}, 0, int64(len(head))+n)
}

type large struct{ head []byte }

func (l large) ReadAt(p []byte, off int64) (int, error) {
	for i := range p {
		if at := off + int64(i); at < int64(len(l.head)) {
			p[i] = l.head[at]
		} else {
			p[i] = byte(at * 7)
		}
	}
	return len(p), nil
}
