// Command upload-memory writes the worst-case PNGs for
// bench/upload-memory.sh to standard output: images whose file is small
// and whose decoded pixels are large (a smooth gradient compresses to
// almost nothing). It streams the rows, so it needs no such memory itself.
//
//	go run ./bench/upload-memory -size 7071 -depth 16 > probe.png
package main

import (
	"bufio"
	"compress/zlib"
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

func main() {
	size := flag.Int("size", 7071, "width and height in pixels")
	depth := flag.Int("depth", 16, "bits a channel: 8 or 16")
	flag.Parse()
	if *depth != 8 && *depth != 16 {
		fmt.Fprintln(os.Stderr, "upload-memory: -depth must be 8 or 16")
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	err := write(out, *size, *depth)
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "upload-memory:", err)
		os.Exit(1)
	}
}

// write writes an RGBA PNG of size×size pixels: a vertical gradient, so
// that every row is one colour and compresses to a few bytes.
func write(w io.Writer, size, depth int) error {
	if _, err := io.WriteString(w, "\x89PNG\r\n\x1a\n"); err != nil {
		return err
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(size))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(size))
	ihdr[8], ihdr[9] = byte(depth), 6 // RGBA
	if err := chunk(w, "IHDR", ihdr); err != nil {
		return err
	}
	bpp := 4 * depth / 8
	var z bytesBuffer
	zw := zlib.NewWriter(&z)
	row := make([]byte, 1+size*bpp)
	for y := 0; y < size; y++ {
		v := byte(y * 255 / max(1, size-1))
		for x := 1; x < len(row); x++ {
			row[x] = v
		}
		row[0] = 0
		if _, err := zw.Write(row); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := chunk(w, "IDAT", z); err != nil {
		return err
	}
	return chunk(w, "IEND", nil)
}

type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }

func chunk(w io.Writer, kind string, data []byte) error {
	crc := crc32.NewIEEE()
	io.WriteString(crc, kind)
	crc.Write(data)
	var head [8]byte
	binary.BigEndian.PutUint32(head[:], uint32(len(data)))
	copy(head[4:], kind)
	for _, p := range [][]byte{head[:], data, binary.BigEndian.AppendUint32(nil, crc.Sum32())} {
		if _, err := w.Write(p); err != nil {
			return err
		}
	}
	return nil
}
