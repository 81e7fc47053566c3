//go:build windows || darwin

package main

// noDisplay: Windows and macOS always have their window system.
func noDisplay() string { return "" }
