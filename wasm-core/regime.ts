// Attack/Veto regime: Schmitt trigger on the entropy score with a minimum dwell.
