// Cost of a fill in paise: STT, exchange charge, SEBI fee, stamp duty, GST, brokerage.
