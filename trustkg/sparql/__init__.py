"""Ask: the question catalogue, parameter binding, the embedded store and remote endpoints as
back-ends, and rendering results so every value shows literally."""
