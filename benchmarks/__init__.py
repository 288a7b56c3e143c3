"""The code behind ``vitrina bench``: each module measures one hot path against a baseline."""
