//! Token validation adapters (in progress).
