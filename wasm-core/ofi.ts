// Order-flow imbalance (Cont, Kukanov, Stoikov 2014) over a window of book events, with its rolling z-score.
