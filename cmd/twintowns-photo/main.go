// Command twintowns-photo is the photo worker of twintowns serve: it reads one uploaded image
// on standard input and writes its variants (upright, without metadata, WebP and JPEG at the
// widths of the public pages, and the share image) on standard output. serve starts one per
// photo, a bounded number at once; libvips is linked here, not in the server.
package main

import (
	"fmt"
	"os"

	"twintowns/internal/photo"
	"twintowns/internal/photo/vips"
)

func main() {
	if err := photo.ServeWorker(os.Stdin, os.Stdout, vips.Process); err != nil {
		fmt.Fprintln(os.Stderr, "twintowns-photo:", err)
		os.Exit(1)
	}
}
