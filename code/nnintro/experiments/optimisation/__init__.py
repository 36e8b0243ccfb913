"""The studies of the optimisation page: ``variants`` (question 10),
``learning_rate`` (11), ``cost_methods`` and ``cost`` (12),
``step_activation`` (13)."""
