package client

import (
	"context"
	"fmt"
	"sync"
)

// locks is the process-wide registry of per-number locks, keyed by
// fingerprint, so that every Client in the process shares them. Terraform
// starts one provider process per provider configuration, so this
// serialises the resources of one configuration; aliases run in processes
// of their own and do not share these locks. Each lock
// is a channel with room for one token: sending takes the lock, receiving
// releases it, and a send can wait in a select beside ctx.Done(), which a
// sync.Mutex cannot. Entries are never removed: one tiny channel per API key
// used in the process is a bounded cost.
var locks = struct {
	sync.Mutex
	byFingerprint map[string]chan struct{}
}{byFingerprint: map[string]chan struct{}{}}

// lockFor returns the lock of one fingerprint, creating it on first use.
func lockFor(fingerprint string) chan struct{} {
	locks.Lock()
	defer locks.Unlock()
	sem, ok := locks.byFingerprint[fingerprint]
	if !ok {
		sem = make(chan struct{}, 1)
		locks.byFingerprint[fingerprint] = sem
	}
	return sem
}

// Lock serialises changes for this number across the whole process (a
// package-level registry keyed by fingerprint), honouring ctx while waiting.
// The returned unlock function may be called more than once.
func (num *Number) Lock(ctx context.Context) (unlock func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("locking number %s: %w", num.fingerprint, err)
	}
	sem := lockFor(num.fingerprint)
	select {
	case sem <- struct{}{}:
	default:
		num.client.log.Debug(ctx, "waiting for another change to the same number", map[string]any{"fingerprint": num.fingerprint})
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the lock of number %s: %w", num.fingerprint, ctx.Err())
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-sem }) }, nil
}
