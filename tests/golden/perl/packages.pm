# Statement-form packages: each holds the subs after it, up to the next package.
package Shape::Circle;

sub new {
    my ($class, $radius) = @_;
    return bless { radius => $radius }, $class;
}

sub area {
    my ($self) = @_;
    return 3.14159 * $self->{radius} ** 2;
}

package Shape::Square;

sub new {
    my ($class, $side) = @_;
    return bless { side => $side }, $class;
}

sub area {
    my ($self) = @_;
    return $self->{side} * $self->{side};
}

1;
