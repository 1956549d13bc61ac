"""The Teams bot: the answers people give on cards, and the endpoint that receives them."""
