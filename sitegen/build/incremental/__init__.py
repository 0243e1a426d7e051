"""All that exists for caching: keys (`fingerprints`, `parsed`), stores (`stores`) and reuse
(`pages`, `reuse`). `reuse.Reuse` wraps the stages a cache changes; without a cache they are
the plain stages."""
