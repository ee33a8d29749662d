// Market entropy: normalised Shannon entropy of mid-change signs and permutation entropy of mids.
