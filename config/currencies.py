"""ISO 4217 currency codes, shipped with the code so checking one needs no network.

The currencies in circulation (ISO 4217 list one, 2024) and those withdrawn since 2008, so
a shop's older history (Croatian kuna, Baltic currencies, pre-redenomination codes) still
loads. Precious metals, bond units, the testing code XTS and "no currency" XXX are not
shop currencies and are left out.
"""

# One block of codes reads like the ISO table; a list literal would be 190 lines.
CURRENT = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL
    BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF
    DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF
    IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR
    LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO
    NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK
    SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH
    UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XDR XOF XPF XSU XUA YER
    ZAR ZMW ZWG ZWL
    """.split()  # noqa: SIM905
)
WITHDRAWN_SINCE_2008 = frozenset(
    "BYR CYP EEK GHC HRK LTL LVL MRO MTL SKK STD TMM VEF ZMK ZWD ZWR".split()  # noqa: SIM905
)
ISO_4217: frozenset[str] = CURRENT | WITHDRAWN_SINCE_2008
