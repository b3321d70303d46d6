def next_steps(user) -> dict:
    return {"steps": []}
