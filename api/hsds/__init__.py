"""Open Referral HSDS 3.0: the read API under /hsds/ and the tabular export."""
