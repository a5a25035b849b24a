"""Collaborative filtering as the Keras example writes it: ``RecommenderNet(num_users,
num_movies, embedding_size)`` (three positional constructor arguments) built from
embeddings and a dot product."""
import numpy as np

import kfront as keras
from kfront import layers, ops


class RecommenderNet(keras.Model):
    def __init__(self, num_users, num_movies, embedding_size, **kwargs):
        super().__init__(**kwargs)
        self.user_embedding = layers.Embedding(
            num_users, embedding_size, embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6))
        self.user_bias = layers.Embedding(num_users, 1)
        self.movie_embedding = layers.Embedding(
            num_movies, embedding_size, embeddings_initializer="he_normal",
            embeddings_regularizer=keras.regularizers.l2(1e-6))
        self.movie_bias = layers.Embedding(num_movies, 1)

    def call(self, inputs):
        user_vector = self.user_embedding(inputs[:, 0])
        user_bias = self.user_bias(inputs[:, 0])
        movie_vector = self.movie_embedding(inputs[:, 1])
        movie_bias = self.movie_bias(inputs[:, 1])
        dot_user_movie = ops.tensordot(user_vector, movie_vector, 2)
        x = dot_user_movie + user_bias + movie_bias
        return ops.nn.sigmoid(x)


def test_recommender_net_from_positional_sizes():
    rng = np.random.default_rng(0)
    users, movies = 12, 9
    taste = rng.normal(size=(users, 2))
    kind = rng.normal(size=(movies, 2))
    pairs = np.stack(np.meshgrid(np.arange(users), np.arange(movies)), -1).reshape(-1, 2)
    ratings = 1 / (1 + np.exp(-(taste[pairs[:, 0]] * kind[pairs[:, 1]]).sum(1) * 2))
    model = RecommenderNet(users, movies, 4)
    assert type(model) is RecommenderNet
    model.compile(loss=keras.losses.BinaryCrossentropy(),
                  optimizer=keras.optimizers.Adam(learning_rate=0.02))
    history = model.fit(pairs, ratings.astype("float32"), batch_size=16, epochs=12,
                        verbose=0).history
    assert history["loss"][-1] < 0.8 * history["loss"][0]
    # The prediction is the formula of `call`, computed from the learned weights.
    u, m = pairs[:5, 0], pairs[:5, 1]
    ue, ub = model.user_embedding.get_weights()[0], model.user_bias.get_weights()[0]
    me, mb = model.movie_embedding.get_weights()[0], model.movie_bias.get_weights()[0]
    logits = (ue[u] * me[m]).sum() + ub[u] + mb[m]  # tensordot(axes=2) sums the whole batch
    np.testing.assert_allclose(model.predict(pairs[:5], verbose=0),
                               1 / (1 + np.exp(-logits)), rtol=1e-4)
