package ratelimit

import (
	"container/list"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// buckets holds one token bucket per key, at most max of them, least recently used first out.
//
// Forgetting a bucket is always safe: a bucket idle for as long as it takes to refill is full, exactly as a
// new one would be. So idle buckets are dropped as they reach the back of the list, and under a flood of new
// keys the least recently used go first; a bucket dropped early only gives its caller a fresh burst, never
// less than it had. Memory stays bounded by max whatever the callers do.
type buckets struct {
	mu  sync.Mutex
	max int
	lru *list.List // of *bucket, most recently used at the front
	all map[string]*list.Element
}

type bucket struct {
	key     string
	limiter *rate.Limiter
	// refilled is when the bucket is full again if nobody takes from it.
	refilled time.Time
}

func newBuckets(max int) *buckets {
	return &buckets{max: max, lru: list.New(), all: map[string]*list.Element{}}
}

// take takes one token from the bucket of key under limit at now. When the bucket is empty it takes nothing
// and returns how long until a token is there.
func (b *buckets) take(key string, limit Limit, now time.Time) (ok bool, wait time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	el, found := b.all[key]
	if found {
		b.lru.MoveToFront(el)
	} else {
		el = b.lru.PushFront(&bucket{key: key, limiter: rate.NewLimiter(rate.Limit(limit.PerSecond), limit.Burst)})
		b.all[key] = el
	}
	defer b.evict(now)
	bk := el.Value.(*bucket)
	r := bk.limiter.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Second
	}
	if wait = r.DelayFrom(now); wait > 0 {
		// The caller is refused, so it must not owe the token it was promised.
		r.CancelAt(now)
		return false, wait
	}
	bk.refilled = now.Add(limit.refillTime())
	return true, 0
}

// evict drops buckets past max, and a few full ones at the back, so that a quiet gateway holds few.
func (b *buckets) evict(now time.Time) {
	for b.lru.Len() > b.max {
		b.remove(b.lru.Back())
	}
	for i := 0; i < 2; i++ {
		back := b.lru.Back()
		if back == nil || back == b.lru.Front() || now.Before(back.Value.(*bucket).refilled) {
			return
		}
		b.remove(back)
	}
}

func (b *buckets) remove(el *list.Element) {
	b.lru.Remove(el)
	delete(b.all, el.Value.(*bucket).key)
}

// len returns how many buckets are held.
func (b *buckets) len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lru.Len()
}
