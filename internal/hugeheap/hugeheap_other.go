//go:build !linux

package hugeheap

var advised bool
