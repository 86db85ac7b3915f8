"""Quality reviews (QA): scorecards, reviews of real work, disputes, sampling and calibration."""
