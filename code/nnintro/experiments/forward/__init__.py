"""The studies of the forward page: ``activation`` (question 3) and
``outputs`` (questions 5 to 7)."""
