package bench

import (
	"cmp"
	"slices"
)

// Median returns the median of xs (the mean of the middle two for an even
// count), or the zero value when xs is empty.
func Median[T ~int | ~int64 | ~float64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// Worst returns the largest of xs, or the zero value when xs is empty.
func Worst[T cmp.Ordered](xs []T) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	return slices.Max(xs)
}
