"""What the simulator's reviewers and NPS respondents write (simulator/feedback.py picks
from these): review titles and bodies by rating, the remarks on late deliveries, and the
complaints and praise of on-time NPS answers, with the shares that decide how often.
"""

from __future__ import annotations

TITLES = {
    1: ("Very disappointed", "Not as described", "Poor quality"),
    2: ("Not great", "Expected better", "Smaller than it looks"),
    3: ("It's okay", "Average", "Does the job"),
    4: ("Nice product", "Good value", "Customers like it"),
    5: ("Lovely!", "Exactly as pictured", "Sells out every time", "Excellent quality"),
}
# Review bodies by rating, about what shops hear most: fit and size, fabric and quality,
# colour, value and packaging. A review says one of its rating's sentences, sometimes two.
BODIES = {
    1: (
        "Arrived damaged and the finish is poor.",
        "Would not order this again.",
        "The fabric is thin and tore after one wash.",
        "Cheap material, the stitching came apart.",
        "Runs two sizes small, nothing like the size chart.",
        "Broken in the box, poorly packed.",
    ),
    2: (
        "Colours are duller than on the website.",
        "Fine for the price but flimsy.",
        "Smaller than the size chart says, had to send it back.",
        "The material feels cheap and scratchy.",
        "The box was crushed and the item scuffed.",
    ),
    3: (
        "Decent item, nothing special.",
        "Packaging could be better.",
        "Fits as expected but the colour is a bit off.",
        "Quality is average for the price.",
    ),
    4: (
        "Good quality for the price, will reorder.",
        "Our customers liked these.",
        "True to size and well made.",
        "Nice colours, sturdy material.",
    ),
    5: (
        "Beautiful item, our shop sold out in a week.",
        "Great quality, well packed, will reorder.",
        "Perfect fit and lovely soft fabric.",
        "Excellent value, customers keep asking for more.",
    ),
}
SECOND_SENTENCE_SHARE = 0.4
# What a customer whose parcel came late says about it, in a review (60 % of late
# deliveries) and in every NPS comment on a late delivery.
LATE_REMARKS = (
    "Delivery was late, days after the promised date.",
    "The parcel arrived late, days after the delivery date.",
    "Shipping took far too long, the delivery was late.",
    "The courier was late, we waited over a week for delivery.",
    "Arrived late, long after the delivery date we were promised.",
)
LATE_REMARK_SHARE = 0.6
# NPS comments on on-time deliveries: some detractors (0-6) complain, some promoters (9-10)
# praise; the others leave the comment empty.
NPS_COMPLAINTS = (
    "Customer service never answered our emails.",
    "The product quality has dropped lately.",
    "Prices went up again.",
)
NPS_PRAISE = (
    "Lovely products, our customers love them.",
    "Great range and friendly service.",
    "Well packed and always as described.",
)
NPS_COMPLAINT_SHARE = 0.5
NPS_PRAISE_SHARE = 0.3
