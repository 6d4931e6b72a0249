package client

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// lockNumber returns the Number of key on a fresh Client, so that tests
// also show the lock is shared across Clients.
func lockNumber(t *testing.T, key string) *Number {
	t.Helper()
	c, err := New(Options{BaseURL: "https://waba-v2.360dialog.io"})
	if err != nil {
		t.Fatal(err)
	}
	return c.Number(key)
}

func TestLockSerialisesAcrossClients(t *testing.T) {
	key := "lock-" + t.Name()
	first, second := lockNumber(t, key), lockNumber(t, key)
	unlock, err := first.Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	acquired := make(chan func(), 1)
	go func() {
		u, err := second.Lock(t.Context())
		if err != nil {
			t.Errorf("second Lock: %v", err)
			u = func() {}
		}
		acquired <- u
	}()
	select {
	case <-acquired:
		t.Fatal("second locker got the lock while the first held it")
	case <-time.After(50 * time.Millisecond):
	}
	unlock()
	select {
	case u := <-acquired:
		u()
	case <-time.After(5 * time.Second):
		t.Fatal("second locker never got the lock")
	}
}

func TestLockWaitHonoursContext(t *testing.T) {
	key := "lock-" + t.Name()
	unlock, err := lockNumber(t, key).Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = lockNumber(t, key).Lock(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want DeadlineExceeded", err)
	}
	if time.Since(start) > 5*time.Second || strings.Contains(err.Error(), key) {
		t.Errorf("slow or leaking error: %v", err)
	}
	unlock()
	// The abandoned wait must not have taken the lock.
	again, err := lockNumber(t, key).Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	again()
}

func TestLockRefusesADoneContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := lockNumber(t, "lock-"+t.Name()).Lock(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want Canceled", err)
	}
}

func TestLockKeysAreIndependent(t *testing.T) {
	a, err := lockNumber(t, "lock-a-"+t.Name()).Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer a()
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	b, err := lockNumber(t, "lock-b-"+t.Name()).Lock(ctx)
	if err != nil {
		t.Fatalf("another number is blocked: %v", err)
	}
	b()
}

func TestUnlockTwiceDoesNotReleaseAnotherHolder(t *testing.T) {
	key := "lock-" + t.Name()
	unlockA, err := lockNumber(t, key).Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	unlockA()
	unlockB, err := lockNumber(t, key).Lock(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer unlockB()
	unlockA() // must be a no-op
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	if _, err := lockNumber(t, key).Lock(ctx); err == nil {
		t.Fatal("a third locker got the lock while the second held it")
	}
}
