"""The pure domain: policy, working days, clocks, state machines. No I/O, no clock reads."""
