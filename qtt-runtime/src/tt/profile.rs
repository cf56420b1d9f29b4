//! Bond-dimension profiles.
