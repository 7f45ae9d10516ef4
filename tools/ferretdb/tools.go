//go:build tools

// Package tools pins FerretDB, the local MongoDB-compatible server used for
// development and tests when no mongod binary is available.
package tools

import _ "github.com/FerretDB/FerretDB/cmd/ferretdb"
