//! Special-use IP address classification (RFC 6890 and successors), and host strings to addresses.
