"""Plain Python that both adapters and the services share: descriptions of queries and
of the rules, with no Flask and no database in them."""
