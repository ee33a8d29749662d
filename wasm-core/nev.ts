// Net expected value of a candidate passive order after costs and OTR penalty.
