//! Effective cache lifetime of a fetched document (RFC 9111; decision D22).
