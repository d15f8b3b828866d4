"""Party organisation, party members and their contact households, volunteers."""
